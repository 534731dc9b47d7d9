// Shared by the preludes of samples that start an HTTP server: whatever port the sample asks
// for (`app.listen(3000)`), listen on a free one and print it, so the test can reach the sample
// without the sample's text changing and without colliding with anything already on 3000.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnAnyPort(...args) {
  this.once('listening', () => {
    console.log(`SAMPLE_LISTENING ${this.address().port}`);
  });
  const callback = args.find((arg) => typeof arg === 'function');
  return listen.call(this, 0, '127.0.0.1', callback);
};
