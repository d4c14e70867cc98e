// `npm run stack:up` / `npm run stack:down` [demo|test]: the local stack by hand.
import { serviceEnv, stackConfig, type StackProfile } from './stack/config.ts';
import { stackDown, stackUp } from './stack/stack.ts';

const [cmd, profileArg] = process.argv.slice(2);
const profile = (profileArg ?? 'demo') as StackProfile;
if (profile !== 'demo' && profile !== 'test') {
  console.error(`unknown profile "${profileArg}": use demo or test`);
  process.exit(2);
}
const c = stackConfig(profile);
if (cmd === 'up') {
  await stackUp(c);
  console.log(`stack "${profile}" is up:`, serviceEnv(c));
} else if (cmd === 'down') {
  await stackDown(c);
  console.log(`stack "${profile}" is down`);
} else {
  console.error('usage: stack-cli.ts up|down [demo|test]');
  process.exit(2);
}
