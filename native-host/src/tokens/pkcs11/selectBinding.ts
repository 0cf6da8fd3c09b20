/**
 * Chooses how the worker calls a PKCS#11 module: `CARDBRIDGE_PKCS11_BINDING=koffi` (FFI, the
 * default, and the only one inside the single executable) or `graphene` (graphene-pk11 over the
 * pkcs11js addon, built for the Node that runs the host from source).
 */
import type { Pkcs11Loader } from './binding.ts';

export const PKCS11_BINDINGS = ['koffi', 'graphene'] as const;
export type Pkcs11BindingName = (typeof PKCS11_BINDINGS)[number];

export function pkcs11BindingName(env: NodeJS.ProcessEnv = process.env): Pkcs11BindingName {
  const chosen = env.CARDBRIDGE_PKCS11_BINDING?.trim() || 'koffi';
  if (!(PKCS11_BINDINGS as readonly string[]).includes(chosen))
    throw new Error(
      `CARDBRIDGE_PKCS11_BINDING must be one of ${PKCS11_BINDINGS.join(', ')}, not "${chosen}"`,
    );
  return chosen as Pkcs11BindingName;
}

/** Loads only the chosen binding, so the other one's addon is never needed. */
export async function pkcs11Loader(env: NodeJS.ProcessEnv = process.env): Promise<Pkcs11Loader> {
  return pkcs11BindingName(env) === 'graphene'
    ? (await import('./graphenePkcs11.ts')).openGraphenePkcs11
    : (await import('./koffiPkcs11.ts')).openKoffiPkcs11;
}
