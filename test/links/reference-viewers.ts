// Runs inside the server's namespace, next to the server (an unshaped path): one reference reader that records when
// each published frame arrived (by the index in its JPEG comment), and more plain viewers whose frame rates show
// whether the slow link's viewer costs healthy viewers anything. Prints JSON lines; ends when stdin closes.
// Usage: node --import tsx reference-viewers.ts STREAM_URL VIEWERS FRAME_COUNT
import http from 'node:http';
import { epochMs, Viewer } from '../../bench/viewer.ts';
import { frameIndexOf, IndexUnwrapper } from '../helpers/indexed-frames.ts';
import { boundaryOf, MjpegParser } from '../helpers/mjpeg-parser.ts';

const [url = '', viewerArg = '20', countArg = '150'] = process.argv.slice(2);
const unwrap = new IndexUnwrapper(Number(countArg));
const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

http.get(url, (response) => {
  const parser = new MjpegParser(boundaryOf(response.headers['content-type']));
  response.on('data', (chunk: Buffer) => {
    const arrivedAtMs = epochMs();
    for (const part of parser.push(chunk)) {
      const index = frameIndexOf(part.body);
      // g: the frame's position in the whole broadcast; t: when it reached an unshaped reader (≈ published).
      if (index !== null) print({ g: unwrap.next(index), t: arrivedAtMs });
    }
  });
});

const viewers = Array.from({ length: Number(viewerArg) - 1 }, () => new Viewer(url, []));
let windowStartMs = 0;
process.stdin.on('data', (text: Buffer) => {
  if (text.toString().includes('start')) {
    windowStartMs = epochMs();
    for (const viewer of viewers) viewer.startRecording();
  }
});
process.stdin.on('end', () => {
  const seconds = (epochMs() - windowStartMs) / 1000;
  print({
    fps: viewers.map((viewer) => viewer.frames / seconds),
    errors: viewers.filter((v) => v.error).length,
  });
  for (const viewer of viewers) viewer.close();
  process.exit(0);
});
