// `npm start`'s main, with a fault a test can inject: SIGUSR2 makes the process throw where nothing catches, as a bug
// would. (A module of its own rather than `node --import`: the workflow threads inherit the command line's imports.)
process.on('SIGUSR2', () => {
  throw new Error('injected by the test: an exception no handler catches');
});
await import('../../src/main.js');
