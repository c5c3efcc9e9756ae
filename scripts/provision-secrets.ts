import { provisionSecretCommands } from '../src/packaging/provision-secrets';

for (const line of provisionSecretCommands(process.env)) console.log(line);
