import { loadConfig, type Config } from './config';

/** The configuration of this process, validated from its environment (the only read of process.env). */
export function loadProcessConfig(): Config {
  return loadConfig(process.env);
}
