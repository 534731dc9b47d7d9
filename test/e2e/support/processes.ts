import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** One process as /proc shows it; `start` (clock ticks since boot) tells a reused pid apart. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  start: number;
  state: string;
  command: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    // After the ")" that ends the command name: state(3) ppid(4) pgrp(5) ... starttime(22).
    const fields = stat.slice(close + 2).split(' ');
    return {
      pid,
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      start: Number(fields[19]),
      state: fields[0] ?? '',
      command: stat.slice(stat.indexOf('(') + 1, close),
    };
  } catch {
    return undefined; // it ended while we looked
  }
}

/** Every process on the machine (Linux /proc). */
export function allProcesses(): ProcessInfo[] {
  const list: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProcess(Number(entry));
    if (info) list.push(info);
  }
  return list;
}

/** `root` and every process below it, zombies excluded. */
export function processTree(root: number): ProcessInfo[] {
  const all = allProcesses();
  const tree = new Map<number, ProcessInfo>();
  const rootInfo = all.find((p) => p.pid === root);
  if (rootInfo) tree.set(root, rootInfo);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!tree.has(p.pid) && tree.has(p.ppid)) {
        tree.set(p.pid, p);
        grew = true;
      }
    }
  }
  return [...tree.values()].filter((p) => p.state !== 'Z');
}

/**
 * The processes still alive (not zombies) that were seen in `seen` (same pid and start time) or
 * belong to one of `groups`: what a clean stop must leave empty.
 */
export function survivors(seen: ProcessInfo[], groups: Set<number>): ProcessInfo[] {
  const known = new Set(seen.map((p) => `${p.pid}@${p.start}`));
  return allProcesses().filter(
    (p) => p.state !== 'Z' && (known.has(`${p.pid}@${p.start}`) || groups.has(p.pgid)),
  );
}

/** True when nothing listens on `port`, on IPv4 loopback or on any IPv6 address. */
export async function portFree(port: number): Promise<boolean> {
  for (const host of ['127.0.0.1', '::']) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer()
        .once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'EADDRINUSE'))
        .once('listening', () => probe.close(() => resolve(true)))
        .listen(port, host);
    });
    if (!free) return false;
  }
  return true;
}

/** Polls `check` every 100 ms until it returns a truthy value or `timeoutMs` passes. */
export async function pollUntil<T>(
  check: () => T | Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
