// A real HTTP MJPEG camera (multipart/x-mixed-replace) served by this test process on 127.0.0.1, the way
// tests/FaceObject.Testing/Cameras/MjpegCamera.cs serves one to the .NET tests: a real test image, `fps` frames a
// second, each part with its Content-Length. The API reads it only when Streams:AllowedSources lets it reach 127.0.0.1.
import { readFileSync } from 'node:fs';
import http from 'node:http';

export const BOUNDARY = 'camframe';

/** Starts the camera; `url` is its stream, `framesSent()` counts what it sent, `stop()` cuts every reader. */
export async function startMjpegCamera({ image, fps = 10 }) {
  const jpeg = readFileSync(image);
  const header = Buffer.from(`--${BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`, 'ascii');
  const sockets = new Set();
  let framesSent = 0;
  let connections = 0;

  const server = http.createServer((request, response) => {
    if (request.url !== '/mjpeg') {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    connections += 1;
    response.writeHead(200, { 'Content-Type': `multipart/x-mixed-replace; boundary=${BOUNDARY}`, 'Cache-Control': 'no-store' });
    const send = () => {
      // A reader that falls behind misses frames, as with a real camera, rather than queueing them.
      if (response.writableNeedDrain) return;
      response.write(Buffer.concat([header, jpeg, Buffer.from('\r\n')]));
      framesSent += 1;
    };
    send();
    const timer = setInterval(send, 1000 / fps);
    response.on('close', () => clearInterval(timer));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();

  return {
    url: `http://127.0.0.1:${port}/mjpeg`,
    framesSent: () => framesSent,
    connections: () => connections,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
