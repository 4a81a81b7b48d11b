/// <reference types="svelte" />
/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly CANISTER_ID_REGISTRY?: string;
  readonly VITE_IC_HOST?: string;
}
