// The key types alone, so that marking-code.ts (which verifies with a ring) and keys.ts (which
// reads and makes rings, and checks key ids with marking-code.ts) do not import each other.

/** A verification key: the id printed in AI 91 and the HMAC secret behind AI 92. */
export interface CodeKey {
  id: string;
  secret: Buffer;
}

/** `current` signs new codes; `byId` (current included) verifies codes signed with any key. */
export interface KeyRing {
  current: CodeKey;
  byId: Map<string, CodeKey>;
}
