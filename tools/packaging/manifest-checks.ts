import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';

/** The parts of a Teams manifest that the package builder relies on. */
export interface BotManifest {
  readonly $schema?: string;
  readonly icons?: { readonly color?: string; readonly outline?: string };
  readonly bots?: ReadonlyArray<{ readonly botId?: string }>;
  readonly webApplicationInfo?: { readonly id?: string; readonly resource?: string };
  readonly validDomains?: readonly string[];
}

/** Errors from validating `manifest` against the schema its `$schema` names (bundled, offline). */
export async function manifestSchemaErrors(manifest: BotManifest): Promise<string[]> {
  if (!manifest.$schema) return ['$schema is missing'];
  return AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest);
}

/** Errors in the SSO and domain settings that the schema cannot see. */
export function manifestRuleErrors(manifest: BotManifest): string[] {
  const errors: string[] = [];
  const botId = manifest.bots?.[0]?.botId;
  const sso = manifest.webApplicationInfo;
  if (!botId) errors.push('bots[0].botId is missing');
  if (sso?.id !== botId) errors.push('webApplicationInfo.id must be the bot id');
  if (sso?.resource !== `api://botid-${botId}`) {
    errors.push('webApplicationInfo.resource must be api://botid-<bot id>');
  }
  for (const domain of manifest.validDomains ?? []) {
    if (domain.length === 0 || /^[a-z]+:\/\//i.test(domain) || domain.includes('/')) {
      errors.push(`validDomains entry "${domain}" must be a bare host name`);
    }
  }
  return errors;
}

/** Schema and rule errors together. */
export async function manifestErrors(manifest: BotManifest): Promise<string[]> {
  return [...(await manifestSchemaErrors(manifest)), ...manifestRuleErrors(manifest)];
}
