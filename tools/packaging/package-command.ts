import path from 'node:path';
import { AppError } from '../../src/errors/app-error';
import { buildAppPackage, writeAppPackage } from './app-package';
import { mergeEnvValues, readEnvFile } from './env-file';

/** Where a packaging command runs and reports. */
export interface CommandContext {
  readonly root: string;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  readonly out: (line: string) => void;
}

/** The environment `npm run package` builds when none is named: the only one complete without provisioning. */
export const DEFAULT_PACKAGE_ENV = 'testtool';

/**
 * `npm run package [env]`: builds appPackage/build/appPackage.<env>.zip with placeholders from
 * env/.env.<env> (process env fills unset names). Returns the exit code.
 */
export async function runPackageCommand(
  args: readonly string[],
  context: CommandContext,
): Promise<number> {
  const env = args[0] ?? DEFAULT_PACKAGE_ENV;
  if (args.length > 1 || !/^[A-Za-z0-9_-]+$/.test(env)) {
    context.out('usage: npm run package -- [env]   (env/.env.<env> must exist)');
    return 2;
  }
  try {
    const fromFile = await readEnvFile(path.join(context.root, 'env', `.env.${env}`));
    const values = mergeEnvValues(fromFile, context.processEnv);
    const appPackageDir = path.join(context.root, 'appPackage');
    const file = await writeAppPackage(
      appPackageDir,
      env,
      await buildAppPackage(appPackageDir, values),
    );
    context.out(`wrote ${path.relative(context.root, file)}`);
    return 0;
  } catch (error) {
    context.out(
      error instanceof AppError ? error.message : `cannot package ${env}: ${String(error)}`,
    );
    return 1;
  }
}
