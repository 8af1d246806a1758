// In-process CPU profile (the V8 inspector, same data as node --cpu-prof) of the bench process, which hosts our
// whole service (ingress, Temporal worker, API and both relays), plus a short self-time summary.
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

export async function startCpuProfile(): Promise<{ stop(file: string): Promise<CpuProfile> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
      session.disconnect();
      fs.writeFileSync(file, JSON.stringify(profile));
      return profile;
    },
  };
}

const shortUrl = (url: string): string => {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const src = url.indexOf('/src/');
  return src >= 0 ? url.slice(src + 1) : url.replace(/^file:\/\//, '');
};

/** Top functions by self time, and self time per package / our source folder. */
export function summarizeProfile(p: CpuProfile, top: number): string[] {
  const total = p.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
  const byFn = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const n of p.nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
    byFn.set(key, (byFn.get(key) ?? 0) + hits);
    const s = shortUrl(url);
    const area = !url
      ? functionName
      : s.startsWith('src/')
        ? s.split('/').slice(0, 2).join('/')
        : s.startsWith('@')
          ? s.split('/').slice(0, 2).join('/')
          : s.startsWith('node:')
            ? 'node internals'
            : s.split('/')[0]!;
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
  }
  const pct = (h: number): string => `${((100 * h) / total).toFixed(1).padStart(5)}%`;
  const fns = [...byFn]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, h]) => `${pct(h)}  ${k}`);
  const areas = [...byArea]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([k, h]) => `${pct(h)}  [${k}]`);
  return [...fns, '-- by package / area --', ...areas];
}
