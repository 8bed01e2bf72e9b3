/** Tests drive the CLI in-process through the public `runCli`. */
export { runCli } from '../run-captured.ts';
