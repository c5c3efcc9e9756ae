// The Azure Bot: registration, Teams channel and the OAuth connection the bot signs users in
// with (left out when signInMode is msal). Used by infra/azure.bicep, and on its own by
// teamsapp.local.yml for a dev tunnel.

@minLength(4)
@maxLength(42)
param resourceBaseName string

@maxLength(42)
param botDisplayName string

param botServiceSku string = 'F0'

param botAadAppClientId string

@secure()
param botAadAppClientSecret string

param botTenantId string

@description('Host name the bot answers on, without scheme: messages go to https://<domain>/api/messages.')
param botAppDomain string

param oauthConnectionName string = 'graph'

@allowed([
  'bot-service'
  'msal'
])
@description('msal: the bot signs users in itself (MSAL on-behalf-of), so no OAuth connection is created.')
param signInMode string = 'bot-service'

@description('Delegated Graph scopes; offline_access lets the token store refresh tokens while the user is away.')
param oauthScopes string = 'openid profile offline_access Presence.Read.All User.ReadBasic.All'

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${botAppDomain}/api/messages'
    msaAppId: botAadAppClientId
    msaAppType: 'SingleTenant'
    msaAppTenantId: botTenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// Azure Active Directory v2 provider; the token exchange URL enables Teams SSO.
resource graphConnection 'Microsoft.BotService/botServices/connections@2022-09-15' = if (signInMode == 'bot-service') {
  parent: botService
  name: oauthConnectionName
  location: 'global'
  properties: {
    serviceProviderDisplayName: 'Azure Active Directory v2'
    serviceProviderId: '30dd229c-58e3-4a48-bdfd-91ec48eb906c'
    clientId: botAadAppClientId
    clientSecret: botAadAppClientSecret
    scopes: oauthScopes
    parameters: [
      {
        key: 'tenantID'
        value: botTenantId
      }
      {
        key: 'tokenExchangeUrl'
        value: 'api://botid-${botAadAppClientId}'
      }
    ]
  }
}

output BOT_SERVICE_NAME string = botService.name
