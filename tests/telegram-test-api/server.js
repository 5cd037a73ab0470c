// Starts npm's telegram-test-api (a Bot API server no one here wrote) on 127.0.0.1:<port>; prints "ready" once it
// listens and stops when standard input closes (the test ends). Used by tests/Bot.Tests/Telegram/TelegramTestApiTests.cs.
const TelegramServer = require('telegram-test-api');

const server = new TelegramServer({ host: '127.0.0.1', port: Number(process.argv[2]), storeTimeout: 600 });
server.start().then(() => console.log('ready'));
process.stdin.resume();
process.stdin.on('end', () => server.stop().then(() => process.exit(0)));
