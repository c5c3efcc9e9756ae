/** The settings of the bot's Entra app identity that are checked together. */
export interface BotCredentialEnv {
  BOT_ID?: string | undefined;
  BOT_PASSWORD?: string | undefined;
  BOT_CERTIFICATE_THUMBPRINT?: string | undefined;
  BOT_CERTIFICATE_KEY_FILE?: string | undefined;
  BOT_TENANT_ID?: string | undefined;
  BOT_TYPE?: string | undefined;
}

/** Problems with the bot's own identity: BOT_ID, its credential, and its tenant. */
export function botCredentialProblems(values: BotCredentialEnv): string[] {
  const thumbprint = values.BOT_CERTIFICATE_THUMBPRINT;
  const keyFile = values.BOT_CERTIFICATE_KEY_FILE;
  if (Boolean(thumbprint) !== Boolean(keyFile)) {
    return ['BOT_CERTIFICATE_THUMBPRINT and BOT_CERTIFICATE_KEY_FILE: set both or neither'];
  }
  if (!values.BOT_ID) {
    return values.BOT_PASSWORD || thumbprint
      ? [
          'BOT_ID: a bot credential is set but BOT_ID is not (without it Bot Framework authentication is off)',
        ]
      : [];
  }
  const problems: string[] = [];
  const singleTenant = values.BOT_TYPE === 'SingleTenant' || values.BOT_TYPE === 'UserAssignedMsi';
  if (singleTenant && !values.BOT_TENANT_ID) {
    problems.push(
      `BOT_TENANT_ID: BOT_TYPE=${values.BOT_TYPE} needs the tenant of the bot's Entra app`,
    );
  }
  const hasCredential =
    Boolean(values.BOT_PASSWORD) || Boolean(thumbprint) || values.BOT_TYPE === 'UserAssignedMsi';
  if (!hasCredential) {
    problems.push(
      'BOT_PASSWORD: BOT_ID needs a credential: BOT_PASSWORD, BOT_CERTIFICATE_THUMBPRINT with BOT_CERTIFICATE_KEY_FILE, or BOT_TYPE=UserAssignedMsi',
    );
  }
  return problems;
}
