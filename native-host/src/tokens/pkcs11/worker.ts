/**
 * A PKCS#11 worker: a child process that loads one vendor module and does its calls. A module that
 * crashes or hangs takes only this process down; the host keeps serving and restarts it on demand.
 */
import * as graphene from 'graphene-pk11';
import { HASHES } from '../../../../shared/crypto/hashes.ts';
import { digestInfo } from '../digestInfo.ts';
import { CKR, failureFromCkr, TOKEN_FLAG } from './ckr.ts';
import type { WorkerRequest, WorkerResponse, WorkerSlot } from './workerProtocol.ts';

function send(message: WorkerResponse): void {
  process.send?.(message);
}

function ckrOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

function hex(buffer: Buffer | undefined): string {
  return buffer ? buffer.toString('hex') : '';
}

export function runPkcs11Worker(modulePath: string): void {
  let mod: graphene.Module;
  try {
    mod = graphene.Module.load(modulePath);
    mod.initialize();
  } catch (error) {
    send({
      ready: false,
      failure: failureFromCkr(ckrOf(error), `cannot load ${modulePath}: ${(error as Error).message}`),
    });
    setImmediate(() => process.exit(3));
    return;
  }
  send({ ready: true });

  const slotBySerial = (serial: string): graphene.Slot | undefined => {
    const slots = mod.getSlots(true);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots.items(i);
      if (slot.getToken().serialNumber.trim() === serial) return slot;
    }
    return undefined;
  };

  const list = (): WorkerSlot[] => {
    const out: WorkerSlot[] = [];
    const slots = mod.getSlots(true);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots.items(i);
      let token: graphene.Token;
      let session: graphene.Session;
      try {
        token = slot.getToken();
        // A blank token (SoftHSM's spare slot, an unpersonalised card) has nothing to offer.
        if ((token.flags & TOKEN_FLAG.TOKEN_INITIALIZED) === 0) continue;
        session = slot.open(graphene.SessionFlag.SERIAL_SESSION);
      } catch {
        continue; // a slot whose card is being pulled or is not readable: the others still count
      }
      try {
        const keyIds = new Set<string>();
        // Private keys are usually invisible before login; public keys share their CKA_ID.
        for (const cls of [graphene.ObjectClass.PRIVATE_KEY, graphene.ObjectClass.PUBLIC_KEY]) {
          const found = session.find({ class: cls });
          for (let k = 0; k < found.length; k++) keyIds.add(hex(found.items(k).getAttribute('id') as Buffer));
        }
        const certificates: WorkerSlot['certificates'] = [];
        const certs = session.find({ class: graphene.ObjectClass.CERTIFICATE });
        for (let c = 0; c < certs.length; c++) {
          const cert = certs.items(c).toType<graphene.X509Certificate>();
          const keyId = hex(cert.id);
          certificates.push({
            keyId,
            der: cert.value.toString('base64'),
            hasPrivateKey: keyIds.has(keyId) || keyIds.size === 0,
          });
        }
        out.push({
          slotIndex: i,
          slotDescription: slot.slotDescription.trim(),
          label: token.label.trim(),
          serial: token.serialNumber.trim(),
          manufacturer: token.manufacturerID.trim(),
          model: token.model.trim(),
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
    const session = slot.open(graphene.SessionFlag.SERIAL_SESSION);
    let loggedIn = false;
    try {
      // A PIN-pad reader takes the PIN itself: C_Login with no PIN.
      session.login(request.pin ?? (null as unknown as string), graphene.UserType.USER);
      loggedIn = true;
      const keys = session.find({
        class: graphene.ObjectClass.PRIVATE_KEY,
        id: Buffer.from(request.keyId, 'hex'),
      });
      if (keys.length === 0) throw Object.assign(new Error('private key not found'), { code: -1 });
      const key = keys.items(0).toType<graphene.PrivateKey>();
      const digest = Buffer.from(request.input.digest, 'base64');
      const hashMech = HASHES[request.input.hash].pkcs11;
      switch (request.input.scheme) {
        case 'pkcs1':
          return session.createSign('RSA_PKCS', key).once(digestInfo(request.input.hash, digest));
        case 'pss': {
          const mgf = graphene.RsaMgf[`MGF1_${hashMech}` as keyof typeof graphene.RsaMgf];
          const params = new graphene.RsaPssParams(
            graphene.MechanismEnum[hashMech as keyof typeof graphene.MechanismEnum],
            mgf,
            digest.length,
          );
          return session.createSign({ name: 'RSA_PKCS_PSS', params }, key).once(digest);
        }
        case 'ecdsa':
          return session.createSign('ECDSA', key).once(digest);
      }
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
          flags = slotBySerial(message.serial)?.getToken().flags ?? 0;
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
