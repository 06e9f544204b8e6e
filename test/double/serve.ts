// Runs the Nomad double as its own process (for benchmarks that must not share an event loop with it):
//   node out/test/double/serve.js   → prints `{"addr": "http://127.0.0.1:PORT"}` on one line, runs until killed
import { NomadDouble } from './nomad';
import { decoderParseJob } from './decoderParse';

void (async () => {
  const d = await NomadDouble.start({ parseJob: decoderParseJob });
  process.stdout.write(JSON.stringify({ addr: d.addr }) + '\n');
  const stop = () => {
    void d.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
})();
