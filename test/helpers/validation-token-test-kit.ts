import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import {
  createValidationTokenIssuer,
  type ValidationTokenIssuer,
} from '../../tools/simulator/validation-token-issuer';

export const APP_ID = '8e460676-ae3f-4b1e-8790-ee0fb5d6148f';
export const TENANT_A = '84bd8158-6d4d-4958-8b9f-9d6445542f95';
export const TENANT_B = 'bbbbcccc-1111-dddd-2222-eeee3333ffff';
export const ISSUED_AT = new Date('2025-03-01T12:00:00Z');

/** A key set that reads the issuer's current JWKS on each call and counts the calls. */
export interface CountingKeySet {
  keySet: JWTVerifyGetKey;
  readonly calls: number;
}

/** Wraps the issuer's live JWKS in a key-set function that counts how often it is asked. */
export function countingKeySet(issuer: ValidationTokenIssuer): CountingKeySet {
  let calls = 0;
  return {
    keySet: async (header, token) => {
      calls += 1;
      return createLocalJWKSet(issuer.jwks())(header, token);
    },
    get calls() {
      return calls;
    },
  };
}

/** A fresh issuer with a fixed first kid. */
export function newIssuer(): Promise<ValidationTokenIssuer> {
  return createValidationTokenIssuer({ keyId: 'test-key-1' });
}

/** A clock the test moves by hand. */
export interface ManualClock {
  now: () => Date;
  set(date: Date): void;
  advanceSeconds(seconds: number): void;
}

/** A manual clock starting at `start`. */
export function manualClock(start: Date): ManualClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (date) => {
      current = date.getTime();
    },
    advanceSeconds: (seconds) => {
      current += seconds * 1000;
    },
  };
}
