// Imported first by the entry points (bin/cli.ts, bin/local.ts): the AWS SDK's notice about its future Node.js
// support (printed once, when the first client is built) says nothing about the user's run and would interleave
// with the CLI's output and the twin's timeline. The SDK's own switch silences that one notice and nothing else;
// setting the variable to false shows it again.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
