/** One thing the benchmark loads with wrk. */
export interface Scenario {
  /** Stable key in the JSON report, e.g. `gate-system`. */
  name: string;
  /** What the requests go through, for the table and the chart. */
  description: string;
  url: string;
  /** Sent with every request; with a `script`, only with the one check request before the load. */
  headers: Record<string, string>;
  /** wrk Lua source that builds each request, when they must differ. */
  script?: string;
  /** `allowed`: every response must be 2xx; `refused`: every response must be a refusal. */
  expect: 'allowed' | 'refused';
  /** Count the requests Orthanc receives while it runs (proof that refusals stop at Nginx). */
  countOrthancRequests?: boolean;
  /** The auth servers it loads, whose CPU is counted as the auth server's (default: the stack's one). */
  authServerPids?: number[];
  /** Transactions run so far in the auth servers' PostgreSQL database: counted around each run. */
  countDatabaseTransactions?: () => Promise<number>;
}
