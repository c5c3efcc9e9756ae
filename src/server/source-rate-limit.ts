/** Settings of a per-source budget. */
export interface SourceRateLimitOptions {
  /** Cost a source may run up at once (a full bucket); its debt is capped at the same amount. */
  capacity: number;
  /** Cost forgiven per second. */
  refillPerSecond: number;
  /** Most sources tracked; the least recently charged is forgotten first. */
  maxSources: number;
  now: () => number;
}

/** A token bucket per source (a remote address) that only what the caller charges drains. */
export interface SourceRateLimit {
  /** Seconds the source must wait, or 0 when it may be served. */
  retryAfterSeconds(source: string): number;
  charge(source: string, cost: number): void;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Builds a bounded per-source rate limit. */
export function createSourceRateLimit(options: SourceRateLimitOptions): SourceRateLimit {
  const buckets = new Map<string, Bucket>();
  const refilled = (bucket: Bucket, now: number): number =>
    Math.min(
      options.capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * options.refillPerSecond,
    );

  return {
    retryAfterSeconds(source) {
      const bucket = buckets.get(source);
      if (!bucket) return 0;
      const tokens = refilled(bucket, options.now());
      return tokens > 0 ? 0 : Math.ceil((1 - tokens) / options.refillPerSecond);
    },
    charge(source, cost) {
      if (cost <= 0) return;
      const now = options.now();
      const existing = buckets.get(source);
      const tokens = existing ? refilled(existing, now) : options.capacity;
      buckets.delete(source);
      buckets.set(source, { tokens: Math.max(-options.capacity, tokens - cost), at: now });
      if (buckets.size > options.maxSources) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }
    },
  };
}
