/**
 * Run a command as a subprocess and measure its wall time and peak resident memory: with
 * `/usr/bin/time -v` when present (kernel-accounted maximum RSS), else by polling the child's
 * `VmHWM` in /proc (which can miss a peak reached in the last poll interval before exit).
 * @module
 */

/** One measured run. */
export interface Measured {
  /** Wall-clock milliseconds from spawn to exit. */
  ms: number;
  /** Peak resident set size in MiB. */
  peakMb: number;
  /** User + system CPU milliseconds of the child (less sensitive than wall time to a busy machine). */
  cpuMs: number;
  /** Exit code. */
  code: number;
  /** Captured standard output. */
  stdout: string;
  /** Captured standard error (without the `time -v` report). */
  stderr: string;
}

const TIME = "/usr/bin/time";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** How peak memory is measured on this machine, for the report. */
export async function rssMethod(): Promise<string> {
  return await exists(TIME) ? "/usr/bin/time -v (max RSS)" : "polling /proc/<pid>/status VmHWM every 10 ms";
}

/** Run `cmd args` with extra environment variables, and measure it. */
export async function measure(cmd: string, args: string[], env: Record<string, string>): Promise<Measured> {
  return await exists(TIME) ? withTime(cmd, args, env) : withPolling(cmd, args, env);
}

async function withTime(cmd: string, args: string[], env: Record<string, string>): Promise<Measured> {
  const report = await Deno.makeTempFile({ prefix: "pgc_bench_time_" });
  try {
    const t0 = performance.now();
    const out = await new Deno.Command(TIME, {
      args: ["-v", "-o", report, cmd, ...args],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const ms = performance.now() - t0;
    const text = await Deno.readTextFile(report);
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
    const status = /Exit status: (\d+)/.exec(text);
    const seconds = (label: string) =>
      Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(text)?.[1] ?? NaN);
    return {
      ms,
      peakMb: kb ? Number(kb[1]) / 1024 : NaN,
      cpuMs: 1000 * (seconds("User") + seconds("System")),
      code: status ? Number(status[1]) : out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    };
  } finally {
    await Deno.remove(report).catch(() => {});
  }
}

async function vmHwmKb(pid: number): Promise<number | undefined> {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(await Deno.readTextFile(`/proc/${pid}/status`));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** utime + stime of a process in ms (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 10 ms). */
async function cpuMsOf(pid: number): Promise<number | undefined> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

async function withPolling(cmd: string, args: string[], env: Record<string, string>): Promise<Measured> {
  const t0 = performance.now();
  const child = new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).spawn();
  let peak = 0;
  let cpu = NaN;
  let done = false;
  const poll = (async () => {
    while (!done) {
      peak = Math.max(peak, (await vmHwmKb(child.pid)) ?? 0);
      cpu = (await cpuMsOf(child.pid)) ?? cpu;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const out = await child.output();
  const ms = performance.now() - t0;
  done = true;
  await poll;
  return {
    ms,
    peakMb: peak / 1024,
    cpuMs: cpu,
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
