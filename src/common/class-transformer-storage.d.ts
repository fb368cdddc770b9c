/** class-transformer's decorator metadata (the package ships the module without a typing at this path). */
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
