import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createLogger } from '../../auth-server/src/logger';
import { startMetricsServer } from '../../auth-server/src/metrics/metrics-server';
import { REPO_ROOT } from '../../setup/repo-root';
import { getMetrics, parseMetricsText } from '../support/metrics-text';
import { createTestApp } from '../support/test-app';

// The dashboard must not drift from the server: every metric, label and label value its PromQL
// names is one the server really serves (read from a real scrape, process metrics included).

interface Panel {
  title?: string;
  type: string;
  targets?: Array<{ expr: string }>;
  panels?: Panel[];
}
interface Dashboard {
  panels: Panel[];
  templating: { list: Array<{ definition?: string }> };
}

const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'deploy', 'grafana', 'pacsgate-dashboard.json'), 'utf8')) as Dashboard;
const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]).filter((panel) => panel.type !== 'row');
const expressions = [...panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)), ...dashboard.templating.list.flatMap((variable) => variable.definition ?? [])];

/** Labels Prometheus adds to every series it scrapes, and the histogram's bucket label. */
const TARGET_LABELS = new Set(['job', 'instance']);
/** PromQL words that are not metric names (functions and aggregations are told apart by their `(`). */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

const QUOTED = /"(?:[^"\\]|\\.)*"/g;
/** A metric name, not followed by `(` (then it is a function or an aggregation). */
const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*(?![a-zA-Z0-9_:]|\s*\()/g;
const SELECTOR = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g;
const MATCHER = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g;
const GROUPING = /\b(?:by|without)\s*\(([^)]*)\)/g;

function metricNamesOf(expr: string): string[] {
  // A variable's label_values(metric, label): the metric only.
  const bare = expr.replace(/label_values\(([^,()]+),\s*\w+\)/g, '$1').replace(QUOTED, '""').replace(/\{[^}]*\}/g, ' ').replace(/\[[^\]]*\]/g, ' ').replace(GROUPING, ' ').replace(/\b\d+(\.\d+)?\b/g, ' ');
  return [...bare.matchAll(NAME)].map((match) => match[0]).filter((word) => !KEYWORDS.has(word.toLowerCase()));
}

/** Each series' labels by metric name, as the server serves them. */
let served: Map<string, Array<Record<string, string>>>;

beforeAll(async () => {
  const t = createTestApp();
  const server: Server = startMetricsServer(t.app.metrics, { host: '127.0.0.1', port: 0 }, createLogger('silent'));
  try {
    await once(server, 'listening');
    const scrape = parseMetricsText((await getMetrics((server.address() as AddressInfo).port)).text);
    served = new Map();
    for (const key of scrape.samples.keys()) {
      const name = key.slice(0, key.indexOf('{'));
      const labels = Object.fromEntries([...key.slice(name.length).matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((match) => [match[1], match[2]]));
      served.set(name, [...(served.get(name) ?? []), labels]);
    }
  } finally {
    server.close();
    await t.cleanup();
  }
});

it('has a query in every panel, on every kind of metric the issue lists', () => {
  expect(panels.filter((panel) => (panel.targets ?? []).length === 0).map((panel) => panel.title)).toEqual([]);
  const names = new Set(expressions.flatMap(metricNamesOf));
  for (const name of [
    'pacsgate_verify_requests_total', 'pacsgate_verify_duration_seconds_bucket', 'pacsgate_tokens_issued_total', 'pacsgate_tokens_exchanged_total',
    'pacsgate_tokens_refreshed_total', 'pacsgate_tokens_revoked_total', 'pacsgate_sign_ins_total', 'pacsgate_rate_limited_requests_total',
    'pacsgate_share_links_opened_total', 'pacsgate_share_link_pin_failures_total', 'pacsgate_db_pool_connections', 'pacsgate_db_pool_waiting_requests',
    'process_cpu_seconds_total', 'process_resident_memory_bytes',
  ]) expect([name, names.has(name)]).toEqual([name, true]);
  expect(expressions.filter((expr) => expr.includes('histogram_quantile')).map((expr) => /histogram_quantile\(([\d.]+)/.exec(expr)?.[1])).toEqual(['0.5', '0.95', '0.99']);
});

it.each(expressions)('names only metrics the server serves: %s', (expr) => {
  const names = metricNamesOf(expr);
  expect(names.length).toBeGreaterThan(0);
  expect(names.filter((name) => !served.has(name))).toEqual([]);
});

it.each(expressions)('matches and groups only by labels and values the server serves: %s', (expr) => {
  const seriesOf = (name: string) => served.get(name) ?? [];
  for (const [, name, matchers] of expr.matchAll(SELECTOR)) {
    for (const [, label, operator, value] of matchers.matchAll(MATCHER)) {
      if (TARGET_LABELS.has(label)) continue;
      expect([name, label, seriesOf(name).some((series) => label in series)]).toEqual([name, label, true]);
      if (operator === '=' && !value.startsWith('$')) expect([name, label, value, seriesOf(name).some((series) => series[label] === value)]).toEqual([name, label, value, true]);
    }
  }
  const labelsInExpr = new Set(metricNamesOf(expr).flatMap((name) => seriesOf(name).flatMap((series) => Object.keys(series))));
  for (const [, grouping] of expr.matchAll(GROUPING)) {
    for (const label of grouping.split(',').map((part) => part.trim()).filter(Boolean)) {
      expect([label, TARGET_LABELS.has(label) || labelsInExpr.has(label)]).toEqual([label, true]);
    }
  }
});
