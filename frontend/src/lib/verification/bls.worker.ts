/// Checks certificates' BLS signatures off the main thread (see bls.ts).
import { blsVerifyHere, type BlsReply, type BlsRequest } from './bls-check';

interface WorkerScope {
  onmessage: ((event: MessageEvent<BlsRequest>) => void) | null;
  postMessage(message: BlsReply): void;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  const { id, publicKey, signature, message } = event.data;
  let reply: BlsReply;
  try {
    reply = { id, valid: blsVerifyHere(publicKey, signature, message) };
  } catch (e) {
    // noble throws on bytes that are no point: the certificate is refused, as on the main thread.
    reply = { id, error: e instanceof Error ? e.message : String(e) };
  }
  scope.postMessage(reply);
};
