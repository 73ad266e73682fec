/// <reference types="vite/client" />

declare const __API_BASE_DEFAULT__: string;

interface ImportMetaEnv {
  readonly VITE_API_BASE?: string;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
