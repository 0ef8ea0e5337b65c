import { request } from 'node:http';

/** A scrape in the Prometheus text format: each family's type, each sample's value by `name{labels}`. */
export interface Scrape {
  types: Map<string, string>;
  samples: Map<string, number>;
}

/** `name{a="1",b="2"}`, labels sorted: how a sample is looked up whatever order the server wrote them in. */
export function seriesKey(name: string, labels: Record<string, string> = {}): string {
  const sorted = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return `${name}{${sorted.map(([label, value]) => `${label}="${value}"`).join(',')}}`;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) throw new Error(`bad labels in: ${line}`);
    labels[match[1]] = match[2];
  }
  return labels;
}

/** Parses the text format strictly: a line it does not understand fails the test. */
export function parseMetricsText(text: string): Scrape {
  const scrape: Scrape = { types: new Map(), samples: new Map() };
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      scrape.types.set(type[1], type[2]);
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not a metrics line: ${line}`);
    // Prometheus reads values as Go's ParseFloat does: NaN and Inf in any case (prom-client writes `Nan`).
    const value = Number(sample[3].replace(/^([+-]?)inf$/i, '$1Infinity'));
    if (Number.isNaN(value) && !/^nan$/i.test(sample[3])) throw new Error(`bad value in: ${line}`);
    scrape.samples.set(seriesKey(sample[1], parseLabels(sample[2] ?? '', line)), value);
  }
  return scrape;
}

/** Every sample of the families whose names start with `prefix`, for an exact comparison. */
export function samplesOf(scrape: Scrape, prefix: string): Record<string, number> {
  return Object.fromEntries([...scrape.samples].filter(([key]) => key.startsWith(prefix)));
}

/** `GET /metrics` on a metrics listener: its status, content type and text. */
export function getMetrics(port: number, path = '/metrics'): Promise<{ status: number; contentType: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
