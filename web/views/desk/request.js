// `/desk/{deskId}/request/{key}`: the request page from a queue; the agent's panel shows
// because the caller may read the request's SLAs.
import { portalRequestView } from '../portal/request.js';

export function deskRequestView(el, [, key], ctx) {
  return portalRequestView(el, [key], ctx);
}
