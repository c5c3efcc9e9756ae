// Presence Watch in Azure: Linux App Service (Node 24 LTS), Key Vault for its secrets, PostgreSQL
// flexible server (or SQLite on the App Service's /home storage), and the Azure Bot with its
// Teams channel and (in the bot-service sign-in mode) its OAuth connection. Outputs are written back to env/.env.<env> by the toolkit.

@minLength(4)
@maxLength(20)
@description('Names every resource: lower-case letters and digits, globally unique.')
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU. B1 is the smallest with Always On.')
param webAppSku string = 'B1'

@maxLength(42)
param botDisplayName string

@description('Client id of the bot\'s Entra app (single tenant), created by aadApp/create.')
param botAadAppClientId string

@secure()
param botAadAppClientSecret string

@description('Tenant of the bot\'s Entra app.')
param botTenantId string

param oauthConnectionName string = 'graph'

@allowed([
  'bot-service'
  'msal'
])
@description('bot-service: users sign in through the Azure Bot OAuth connection (its token store keeps their tokens). msal: the bot exchanges the Teams SSO token itself (MSAL on-behalf-of) and keeps the tokens sealed in its database; no OAuth connection is created.')
param signInMode string = 'bot-service'

@allowed([
  'true'
  'false'
])
@description('true: Azure Database for PostgreSQL. false: SQLite on /home (one instance only).')
param usePostgres string = 'true'

@secure()
@description('32 random bytes, base64: the key that encrypts tokens and keys at rest.')
param storeEncryptionKey string

@secure()
param postgresAdminPassword string

param postgresAdminLogin string = 'presencewatch'

@allowed([
  'private'
  'public'
])
@description('private: PostgreSQL only inside a virtual network the web app joins (no public endpoint). public: reachable from any Azure IP, password login over TLS.')
param postgresAccess string = 'private'

@description('When the bot\'s client secret expires (ISO 8601), written by provision; the app warns ahead of it. Empty: unknown.')
param botPasswordExpiresAt string = ''

var postgresEnabled = usePostgres == 'true'
var postgresPrivate = postgresEnabled && postgresAccess == 'private'
var vnetName = '${resourceBaseName}-vnet'
var appSubnetId = resourceId('Microsoft.Network/virtualNetworks/subnets', vnetName, 'app')
var postgresSubnetId = resourceId('Microsoft.Network/virtualNetworks/subnets', vnetName, 'postgres')
var postgresDnsZoneName = '${resourceBaseName}.private.postgres.database.azure.com'
var keyVaultName = 'kv${resourceBaseName}'
var postgresServerName = '${resourceBaseName}-pg'
var databaseName = 'presencewatch'
var postgresUrl = 'postgres://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${postgresServerName}.postgres.database.azure.com:5432/${databaseName}?sslmode=require'
var sqliteUrl = 'sqlite:/home/data/presence-watch.sqlite'
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    keyVaultReferenceIdentity: 'SystemAssigned'
    virtualNetworkSubnetId: postgresPrivate ? appSubnetId : null
    siteConfig: {
      linuxFxVersion: 'NODE|24-lts'
      appCommandLine: 'node dist/index.js'
      // App Service takes an instance out of rotation (and restarts it) when this fails: the store
      // answers and every worker loop runs. /readyz (subscriptions failing en masse) is for operators.
      healthCheckPath: '/healthz'
      vnetRouteAllEnabled: postgresPrivate
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
  }
  dependsOn: [
    vnet
  ]
}

// Metrics and traces: the app sends OpenTelemetry to Application Insights through
// @azure/monitor-opentelemetry when APPLICATIONINSIGHTS_CONNECTION_STRING is set (below).
resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
  }
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
  }
}

resource storeKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'store-encryption-key'
  properties: {
    value: storeEncryptionKey
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'bot-password'
  properties: {
    value: botAadAppClientSecret
  }
}

resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'database-url'
  properties: {
    value: postgresEnabled ? postgresUrl : sqliteUrl
  }
}

// The web app reads secrets through Key Vault references, with its own identity.
resource keyVaultAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: keyVault
  name: guid(keyVault.id, webApp.id, keyVaultSecretsUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// Private access: the web app joins the "app" subnet (regional VNet integration, B1 and up) and
// reaches the server in the delegated "postgres" subnet through a private DNS zone.
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = if (postgresPrivate) {
  name: vnetName
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: ['10.20.0.0/16']
    }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: '10.20.1.0/24'
          delegations: [
            {
              name: 'web'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
      {
        name: 'postgres'
        properties: {
          addressPrefix: '10.20.2.0/24'
          delegations: [
            {
              name: 'postgres'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }
}

resource postgresDnsZone 'Microsoft.Network/privateDnsZones@2020-06-01' = if (postgresPrivate) {
  name: postgresDnsZoneName
  location: 'global'
}

resource postgresDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = if (postgresPrivate) {
  parent: postgresDnsZone
  name: '${vnetName}-link'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = if (postgresEnabled) {
  name: postgresServerName
  location: location
  sku: {
    name: 'Standard_B1ms'
    tier: 'Burstable'
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: {
      storageSizeGB: 32
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: postgresPrivate
      ? {
          delegatedSubnetResourceId: postgresSubnetId
          privateDnsZoneArmResourceId: postgresDnsZone.id
          publicNetworkAccess: 'Disabled'
        }
      : {
          publicNetworkAccess: 'Enabled'
        }
  }
  dependsOn: [
    postgresDnsLink
    vnet
  ]
}

resource postgresDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = if (postgresEnabled) {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// Public access only: 0.0.0.0 to 0.0.0.0 is Azure's "allow Azure services" rule (any Azure
// customer's IP passes the firewall; the password and TLS are what remain).
resource postgresAllowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = if (postgresEnabled && !postgresPrivate) {
  parent: postgres
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

// Settings for the App Service platform itself; the app never reads these.
var platformSettings = {
  WEBSITE_RUN_FROM_PACKAGE: '1'
  WEBSITES_ENABLE_APP_SERVICE_STORAGE: 'true'
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
}

// Settings the app's config module reads (src/config/config.ts). PORT is set by App Service.
// NOTIFICATION_CERT_FILES is left unset: the app creates its notification certificate and keeps
// the private key in the database, encrypted with STORE_ENCRYPTION_KEY from Key Vault.
var appConfigSettings = {
  NODE_ENV: 'production'
  HOST: '0.0.0.0'
  LOG_LEVEL: 'info'
  DATA_DIR: '/home/data'
  DATABASE_URL: '@Microsoft.KeyVault(SecretUri=${databaseUrlSecret.properties.secretUri})'
  STORE_ENCRYPTION_KEY: '@Microsoft.KeyVault(SecretUri=${storeKeySecret.properties.secretUri})'
  PUBLIC_BASE_URL: 'https://${webApp.properties.defaultHostName}'
  BOT_DOMAIN: webApp.properties.defaultHostName
  BOT_ID: botAadAppClientId
  BOT_PASSWORD: '@Microsoft.KeyVault(SecretUri=${botPasswordSecret.properties.secretUri})'
  BOT_TENANT_ID: botTenantId
  BOT_TYPE: 'SingleTenant'
  NOTIFICATION_AUDIENCES: botAadAppClientId
  OAUTH_CONNECTION_NAME: oauthConnectionName
  SIGN_IN_MODE: signInMode
  AAD_APP_TENANT_ID: botTenantId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  BOT_PASSWORD_EXPIRES_AT: botPasswordExpiresAt
}

resource appSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: union(platformSettings, appConfigSettings)
  dependsOn: [
    keyVaultAccess
    postgresDatabase
    postgresAllowAzure
  ]
}

module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    resourceBaseName: resourceBaseName
    botDisplayName: botDisplayName
    botAadAppClientId: botAadAppClientId
    botAadAppClientSecret: botAadAppClientSecret
    botTenantId: botTenantId
    botAppDomain: webApp.properties.defaultHostName
    oauthConnectionName: oauthConnectionName
    signInMode: signInMode
  }
}

// Written back to env/.env.<env> by arm/deploy.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output KEY_VAULT_NAME string = keyVault.name
