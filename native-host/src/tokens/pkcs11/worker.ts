/**
 * A PKCS#11 worker: a child process that loads one vendor module and does its calls. A module that
 * crashes or hangs takes only this process down; the host keeps serving and restarts it on demand.
 */
import { digestInfo } from '../digestInfo.ts';
import type { Pkcs11Loader, Pkcs11Module, Pkcs11Slot, SignMechanism } from './binding.ts';
import { CKR, failureFromCkr, TOKEN_FLAG } from './ckr.ts';
import { pkcs11Loader } from './selectBinding.ts';
import type { WorkerRequest, WorkerResponse, WorkerSlot } from './workerProtocol.ts';

function send(message: WorkerResponse): void {
  process.send?.(message);
}

function ckrOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

export function runPkcs11Worker(modulePath: string, loader?: Pkcs11Loader): void {
  void (async () => {
    let mod: Pkcs11Module;
    try {
      mod = (loader ?? (await pkcs11Loader()))(modulePath);
    } catch (error) {
      send({
        ready: false,
        failure: failureFromCkr(ckrOf(error), `cannot load ${modulePath}: ${(error as Error).message}`),
      });
      setImmediate(() => process.exit(3));
      return;
    }
    serve(mod);
    send({ ready: true });
  })();
}

function serve(mod: Pkcs11Module): void {
  const slotBySerial = (serial: string): Pkcs11Slot | undefined =>
    mod.slots().find((slot) => slot.serial() === serial);

  const list = (): WorkerSlot[] => {
    const out: WorkerSlot[] = [];
    for (const slot of mod.slots()) {
      let token: ReturnType<Pkcs11Slot['token']>;
      let session: ReturnType<Pkcs11Slot['open']>;
      try {
        token = slot.token();
        // A blank token (SoftHSM's spare slot, an unpersonalised card) has nothing to offer.
        if ((token.flags & TOKEN_FLAG.TOKEN_INITIALIZED) === 0) continue;
        session = slot.open();
      } catch {
        continue; // a slot whose card is being pulled or is not readable: the others still count
      }
      try {
        const keyIds = new Set<string>();
        // Private keys are usually invisible before login; public keys share their CKA_ID.
        for (const kind of ['privateKey', 'publicKey'] as const) {
          for (const key of session.find(kind)) keyIds.add(key.id.toString('hex'));
        }
        const certificates = session.find('certificate').map((cert) => {
          const keyId = cert.id.toString('hex');
          return {
            keyId,
            der: cert.value().toString('base64'),
            hasPrivateKey: keyIds.has(keyId) || keyIds.size === 0,
          };
        });
        out.push({
          slotIndex: slot.index,
          slotDescription: slot.description,
          label: token.label,
          serial: token.serial,
          manufacturer: token.manufacturer,
          model: token.model,
          flags: token.flags,
          certificates,
        });
      } finally {
        session.close();
      }
    }
    return out;
  };

  const sign = (request: Extract<WorkerRequest, { op: 'sign' }>): Buffer => {
    const slot = slotBySerial(request.serial);
    if (!slot) throw Object.assign(new Error('token not present'), { code: CKR.TOKEN_NOT_PRESENT });
    const session = slot.open();
    let loggedIn = false;
    try {
      // A PIN-pad reader takes the PIN itself: C_Login with no PIN.
      session.login(request.pin);
      loggedIn = true;
      const [key] = session.find('privateKey', Buffer.from(request.keyId, 'hex'));
      if (!key) throw Object.assign(new Error('private key not found'), { code: -1 });
      const digest = Buffer.from(request.input.digest, 'base64');
      const { hash } = request.input;
      const [mechanism, data]: [SignMechanism, Buffer] =
        request.input.scheme === 'pkcs1'
          ? [{ name: 'RSA_PKCS' }, digestInfo(hash, digest)]
          : request.input.scheme === 'pss'
            ? [{ name: 'RSA_PKCS_PSS', hash, saltLength: digest.length }, digest]
            : [{ name: 'ECDSA' }, digest];
      return session.sign(mechanism, key, data);
    } finally {
      if (loggedIn) {
        try {
          session.logout();
        } catch {
          // the card may be gone
        }
      }
      session.close();
    }
  };

  process.on('message', (message: WorkerRequest) => {
    try {
      if (message.op === 'list') {
        send({ id: message.id, ok: true, slots: list() });
      } else {
        const signature = sign(message);
        send({ id: message.id, ok: true, signature: signature.toString('base64') });
      }
    } catch (error) {
      let flags = 0;
      if (message.op === 'sign') {
        try {
          flags = slotBySerial(message.serial)?.token().flags ?? 0;
        } catch {
          // token gone: flags unknown
        }
      }
      const code = ckrOf(error);
      const failure =
        code === -1
          ? { code: 'ERR_CERTIFICATE_NOT_FOUND' as const, reason: 'private key not found' }
          : failureFromCkr(code, (error as Error).message, flags);
      send({ id: message.id, ok: false, failure });
    }
  });
  process.on('disconnect', () => {
    try {
      mod.finalize();
    } catch {
      // exiting anyway
    }
    process.exit(0);
  });
}
