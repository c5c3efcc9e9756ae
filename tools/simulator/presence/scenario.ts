import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Directory } from '../directory/directory';
import type { PresenceEngine } from './presence-engine';
import type { PresenceStore } from './presence-store';

const stepSchema = z.object({
  at: z.number().min(0),
  user: z.string().min(1),
  availability: z.string().min(1),
  activity: z.string().min(1),
});

const scenarioSchema = z.object({
  loop: z.boolean().default(false),
  steps: z.array(stepSchema).min(1),
});

/** A scripted run: at `at` simulated seconds after start, `user` gets a presence. */
export type Scenario = z.infer<typeof scenarioSchema>;

/** Parses a scenario document (`{loop?, steps: [{at, user, availability, activity}]}`). */
export function parseScenario(document: unknown): Scenario {
  const parsed = scenarioSchema.safeParse(document);
  if (!parsed.success) {
    throw new Error(
      `invalid scenario: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return { ...parsed.data, steps: [...parsed.data.steps].sort((a, b) => a.at - b.at) };
}

/** Reads a scenario file, YAML or JSON; every problem is an Error naming the file. */
export async function loadScenario(file: string): Promise<Scenario> {
  try {
    return parseScenario(parseYaml(await readFile(file, 'utf8')) as unknown);
  } catch (error) {
    throw new Error(
      `scenario file ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Plays a scenario from the first step call on, looping if asked; unknown people are an error up front. */
export function createScenarioEngine(deps: {
  scenario: Scenario;
  directory: Directory;
  presence: PresenceStore;
}): PresenceEngine {
  const steps = deps.scenario.steps.map((step) => {
    const user = deps.directory.findUser(step.user) ?? deps.directory.findByPlaygroundId(step.user);
    if (!user) throw new Error(`scenario names an unknown person: ${step.user}`);
    return { ...step, userId: user.id };
  });
  const period = ((steps[steps.length - 1]?.at ?? 0) + 1) * 1000;
  let startedAt: number | undefined;
  let next = 0;

  return {
    step(now) {
      startedAt ??= now;
      for (;;) {
        const step = steps[next];
        if (!step) {
          if (!deps.scenario.loop) return;
          startedAt += period;
          next = 0;
          if (now - startedAt < 0) return;
          continue;
        }
        if (now - startedAt < step.at * 1000) return;
        deps.presence.set(
          step.userId,
          { availability: step.availability, activity: step.activity },
          'scenario',
        );
        next += 1;
      }
    },
  };
}
