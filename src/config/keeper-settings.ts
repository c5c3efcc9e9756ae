import { z } from 'zod';
import { seconds } from './env-numbers';

/** The keeper's timing variables (seconds), with Graph's limits: presence subscriptions live ≤ 60 minutes. */
export const keeperEnvShape = {
  KEEPER_SUBSCRIPTION_LIFETIME_SECONDS: seconds(120, 3600, 3300),
  KEEPER_RENEW_LEAD_SECONDS: seconds(30, 3599, 720),
  KEEPER_POLL_SECONDS: seconds(1, 600, 15),
  KEEPER_REPLAN_SECONDS: seconds(5, 3600, 60),
  KEEPER_AUTH_RECHECK_SECONDS: seconds(30, 86_400, 900),
  KEEPER_DEBOUNCE_SECONDS: seconds(0, 300, 10),
  KEEPER_LIVENESS_SECONDS: z.coerce
    .number()
    .int()
    .refine((value) => value === 0 || (value >= 60 && value <= 86_400), {
      message: 'must be 0 (off) or between 60 and 86400',
    })
    .default(900),
};

type KeeperEnv = { [K in keyof typeof keeperEnvShape]: z.infer<(typeof keeperEnvShape)[K]> };

/** The keeper's timings in milliseconds, as the composition root hands them to the keeper. */
export interface KeeperTimings {
  readonly subscriptionLifetimeMs: number;
  readonly renewLeadMs: number;
  readonly pollIntervalMs: number;
  readonly replanIntervalMs: number;
  readonly authRecheckMs: number;
  readonly debounceMs: number;
  /** The longest a subscription goes unrenewed (its liveness check); 0 turns the check off. */
  readonly livenessCheckMs: number;
}

function withDefaults(values: Partial<KeeperEnv>): KeeperEnv {
  const defaults = z.object(keeperEnvShape).parse({});
  const given = Object.entries(values).filter(([, value]) => value !== undefined);
  return { ...defaults, ...Object.fromEntries(given) };
}

/** Problems between keeper timings: the lead must fit in the lifetime, the poll in the lead. */
export function keeperTimingProblems(values: Partial<KeeperEnv>): string[] {
  const v = withDefaults(values);
  const problems: string[] = [];
  if (v.KEEPER_RENEW_LEAD_SECONDS >= v.KEEPER_SUBSCRIPTION_LIFETIME_SECONDS) {
    problems.push(
      'KEEPER_RENEW_LEAD_SECONDS: must be shorter than KEEPER_SUBSCRIPTION_LIFETIME_SECONDS',
    );
  }
  if (v.KEEPER_POLL_SECONDS >= v.KEEPER_RENEW_LEAD_SECONDS) {
    problems.push('KEEPER_POLL_SECONDS: must be shorter than KEEPER_RENEW_LEAD_SECONDS');
  }
  return problems;
}

/** The validated keeper timings in milliseconds. */
export function keeperTimingsOf(values: KeeperEnv): KeeperTimings {
  return {
    subscriptionLifetimeMs: values.KEEPER_SUBSCRIPTION_LIFETIME_SECONDS * 1000,
    renewLeadMs: values.KEEPER_RENEW_LEAD_SECONDS * 1000,
    pollIntervalMs: values.KEEPER_POLL_SECONDS * 1000,
    replanIntervalMs: values.KEEPER_REPLAN_SECONDS * 1000,
    authRecheckMs: values.KEEPER_AUTH_RECHECK_SECONDS * 1000,
    debounceMs: values.KEEPER_DEBOUNCE_SECONDS * 1000,
    livenessCheckMs: values.KEEPER_LIVENESS_SECONDS * 1000,
  };
}
