// Imported first by bin/cli.ts: stderr is for the user's own problem, and the AWS SDK's notice about its future
// Node.js support (printed when the first client is built, some at import time) is not one. Setting the variable
// to false shows it again.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
