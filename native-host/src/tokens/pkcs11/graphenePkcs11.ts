/** A PKCS#11 module through graphene-pk11 (over the pkcs11js addon built for the Node that runs it). */
import * as graphene from 'graphene-pk11';
import { HASHES } from '../../../../shared/crypto/hashes.ts';
import type {
  ObjectKind,
  Pkcs11Module,
  Pkcs11Object,
  Pkcs11Session,
  Pkcs11Slot,
  SignMechanism,
} from './binding.ts';

const OBJECT_CLASS: Record<ObjectKind, graphene.ObjectClass> = {
  certificate: graphene.ObjectClass.CERTIFICATE,
  publicKey: graphene.ObjectClass.PUBLIC_KEY,
  privateKey: graphene.ObjectClass.PRIVATE_KEY,
};

export function openGraphenePkcs11(modulePath: string): Pkcs11Module {
  const mod = graphene.Module.load(modulePath);
  mod.initialize();
  return {
    slots(): Pkcs11Slot[] {
      const list = mod.getSlots(true);
      const slots: Pkcs11Slot[] = [];
      for (let index = 0; index < list.length; index++) {
        const slot = list.items(index);
        slots.push({
          index,
          description: slot.slotDescription.trim(),
          token() {
            const token = slot.getToken();
            return {
              label: token.label.trim(),
              serial: token.serialNumber.trim(),
              manufacturer: token.manufacturerID.trim(),
              model: token.model.trim(),
              flags: token.flags,
            };
          },
          serial: () => slot.getToken().serialNumber.trim(),
          open: () => new GrapheneSession(slot.open(graphene.SessionFlag.SERIAL_SESSION)),
        });
      }
      return slots;
    },
    finalize: () => mod.finalize(),
  };
}

class GrapheneObject implements Pkcs11Object {
  private cachedId: Buffer | undefined;
  constructor(readonly object: graphene.SessionObject) {}

  /** Read when asked: a key found by its CKA_ID to sign with needs no second look at it. */
  get id(): Buffer {
    return (this.cachedId ??= this.object.getAttribute('id') as Buffer);
  }

  value(): Buffer {
    return this.object.getAttribute('value') as Buffer;
  }
}

class GrapheneSession implements Pkcs11Session {
  constructor(private readonly session: graphene.Session) {}

  find(kind: ObjectKind, id?: Buffer): Pkcs11Object[] {
    const found = this.session.find(id ? { class: OBJECT_CLASS[kind], id } : { class: OBJECT_CLASS[kind] });
    const objects: Pkcs11Object[] = [];
    for (let i = 0; i < found.length; i++) objects.push(new GrapheneObject(found.items(i)));
    return objects;
  }

  login(pin: string | null): void {
    this.session.login(pin ?? (null as unknown as string), graphene.UserType.USER);
  }

  logout(): void {
    this.session.logout();
  }

  sign(mechanism: SignMechanism, key: Pkcs11Object, data: Buffer): Buffer {
    if (!(key instanceof GrapheneObject)) throw new Error('key from another PKCS#11 binding');
    const privateKey = key.object.toType<graphene.PrivateKey>();
    if (mechanism.name !== 'RSA_PKCS_PSS')
      return this.session.createSign(mechanism.name, privateKey).once(data);
    const hash = HASHES[mechanism.hash].pkcs11;
    const params = new graphene.RsaPssParams(
      graphene.MechanismEnum[hash],
      graphene.RsaMgf[`MGF1_${hash}`],
      mechanism.saltLength,
    );
    return this.session.createSign({ name: 'RSA_PKCS_PSS', params }, privateKey).once(data);
  }

  close(): void {
    this.session.close();
  }
}
