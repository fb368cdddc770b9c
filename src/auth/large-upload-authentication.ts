import type { FastifyInstance } from 'fastify';
import { takesLargeUpload } from 'src/common/http-edge';
import { largeUploadRoles } from 'src/common/upload-slots';
import { AuthGuard } from './auth.guard';

/**
 * A large body (a bulk import, a remittance report: only signed-in callers send one) is read only for a
 * caller its credential names: read, parsed and checked before the guard's 401, 10 MB cost anyone, with any
 * made-up credential, half a second or more of the event loop. The guard still decides, once the body is
 * read: it looks the credential up again (a session can end while a body arrives) and checks the role again.
 * (Before parsing, after every request's own start: its id, its log line.)
 */
export function authenticateLargeUploads(fastify: FastifyInstance, guard: AuthGuard): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    if (!takesLargeUpload(request)) return payload;
    // Refused, the connection is kept: Node reads the rest of the body past unparsed (closed with it
    // unread, the client could meet a reset instead of the answer). No large upload takes the operator's token.
    // A caller of the wrong role (a seller on the finance report) is refused as the guard would, body unread.
    guard.admit(await guard.principalOf(request, () => false), largeUploadRoles(request));
    return payload;
  });
}
