/** One fault rule. Every field narrows or shapes the fault; all are optional. */
export interface FaultRule {
  /** Path prefix (string) or pattern (RegExp) the request path must match. @default every path */
  path?: string | RegExp;
  /** Method to match (case-insensitive). @default every method */
  method?: string;
  /** Answer this status instead of handling the request. */
  status?: number;
  /** Wait this long first (then answer `status`, reset, or handle normally). */
  delayMs?: number;
  /** Drop the connection without answering. */
  reset?: boolean;
  /** Chance that a matching request is affected, 0–100. @default 100 */
  percent?: number;
  /** Affect only this many requests, then the rule retires. @default unlimited */
  count?: number;
}

/** The controls on `server.faults`. */
export interface FaultControls {
  add(rule: FaultRule): void;
  clear(): void;
}

/** What a matched rule asks the transport to do. */
export interface FaultAction {
  delayMs: number;
  status: number | undefined;
  reset: boolean;
}

interface LiveRule extends FaultRule {
  remaining: number;
}

/** Thrown for an invalid rule. */
export class FaultRuleError extends TypeError {}

/** Validates a rule (from code or JSON over HTTP) into a copy. */
export function parseFaultRule(input: unknown): FaultRule {
  if (typeof input !== 'object' || input === null)
    throw new FaultRuleError('fault rule must be an object');
  const r = input as Record<string, unknown>;
  const rule: FaultRule = {};
  if (r.path !== undefined) {
    if (typeof r.path !== 'string' && !(r.path instanceof RegExp))
      throw new FaultRuleError('path must be a string');
    rule.path = r.path;
  }
  if (r.method !== undefined) {
    if (typeof r.method !== 'string') throw new FaultRuleError('method must be a string');
    rule.method = r.method.toUpperCase();
  }
  if (r.status !== undefined) {
    if (!Number.isInteger(r.status) || (r.status as number) < 200 || (r.status as number) > 599) {
      throw new FaultRuleError('status must be an integer 200..599');
    }
    rule.status = r.status as number;
  }
  for (const name of ['delayMs', 'percent', 'count'] as const) {
    const v = r[name];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new FaultRuleError(`${name} must be a number >= 0`);
    rule[name] = v;
  }
  if (rule.percent !== undefined && rule.percent > 100)
    throw new FaultRuleError('percent must be 0..100');
  if (r.reset !== undefined) {
    if (typeof r.reset !== 'boolean') throw new FaultRuleError('reset must be a boolean');
    rule.reset = r.reset;
  }
  if (rule.status === undefined && !rule.reset && !rule.delayMs) {
    throw new FaultRuleError('a fault rule needs status, reset or delayMs');
  }
  return rule;
}

/** Holds the rules; the first matching rule that fires decides. */
export class FaultInjector implements FaultControls {
  #rules: LiveRule[] = [];
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  get active(): boolean {
    return this.#rules.length > 0;
  }

  add(rule: FaultRule): void {
    const parsed = parseFaultRule(rule);
    this.#rules.push({ ...parsed, remaining: parsed.count ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.#rules = [];
  }

  match(method: string, path: string): FaultAction | undefined {
    for (const rule of this.#rules) {
      if (rule.remaining <= 0) continue;
      if (rule.method !== undefined && rule.method !== method) continue;
      if (rule.path !== undefined) {
        if (typeof rule.path === 'string' ? !path.startsWith(rule.path) : !rule.path.test(path))
          continue;
      }
      if (rule.percent !== undefined && this.#random() * 100 >= rule.percent) continue;
      rule.remaining--;
      if (rule.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
      return { delayMs: rule.delayMs ?? 0, status: rule.status, reset: rule.reset ?? false };
    }
    return undefined;
  }
}
