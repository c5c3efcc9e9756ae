import { seededRandom } from '../seeded-random';
import type { SimulatorParts } from '../simulator-parts';
import { createDemoEngine } from './demo-engine';
import type { PresenceEngine } from './presence-engine';
import { createScenarioEngine, loadScenario } from './scenario';
import { createScheduleEngine } from './schedule-engine';

/** Which engine drives presence. */
export interface EngineOptions {
  scenarioFile?: string;
  demo?: boolean;
  presenceEngine?: 'schedule' | 'manual';
  randomSeed?: number;
}

const DEFAULT_SEED = 20240601;
const DEMO_INTERVAL_MS = 4_000;

/** Scenario file if given, else demo mode if asked, else the working-day schedule (none if `manual`). */
export async function choosePresenceEngine(
  options: EngineOptions,
  parts: Pick<SimulatorParts, 'directory' | 'presence'>,
): Promise<PresenceEngine | undefined> {
  const { directory, presence } = parts;
  const seed = options.randomSeed ?? DEFAULT_SEED;
  if (options.scenarioFile) {
    return createScenarioEngine({
      scenario: await loadScenario(options.scenarioFile),
      directory,
      presence,
    });
  }
  if (options.demo) {
    return createDemoEngine({
      directory,
      presence,
      random: seededRandom(seed),
      intervalMs: DEMO_INTERVAL_MS,
    });
  }
  if (options.presenceEngine === 'manual') return undefined;
  return createScheduleEngine({ directory, presence, seed });
}
