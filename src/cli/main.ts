import { isAppError } from '../errors/app-error';
import {
  VERIFY_USAGE,
  failureResult,
  parseVerifyArgs,
  verifyNotification,
} from './verify-notification';

const USAGE = `usage: presence-watch <command>

commands:
  verify-notification   validate and decrypt a Graph change-notification body

${VERIFY_USAGE}`;

/** Runs the operator CLI and resolves with the process exit code. */
export async function runCli(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'verify-notification') {
    console.error(`unknown command: ${command}\n\n${USAGE}`);
    return 2;
  }
  let options;
  try {
    options = parseVerifyArgs(rest);
  } catch (error) {
    console.error(`${isAppError(error) ? error.message : String(error)}\n\n${VERIFY_USAGE}`);
    return 2;
  }
  const result = await verifyNotification(options).catch(failureResult);
  console.log(JSON.stringify(result));
  if (result.ok) return 0;
  return result.error.code === 'CLI_USAGE' ? 2 : 1;
}
