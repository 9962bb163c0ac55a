// Reading a server's /metrics as Prometheus would: one series by name and labels.

export type Labels = Record<string, string>;

/** The value of one series in a scrape, or undefined when the scrape has no such series. */
export function seriesValue(text: string, name: string, labels: Labels = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

/** One series of `baseUrl`'s current scrape (0 when absent, so deltas read naturally). */
export async function metric(baseUrl: string, name: string, labels: Labels = {}): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return seriesValue(text, name, labels) ?? 0;
}
