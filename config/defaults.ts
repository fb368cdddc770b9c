/**
 * Business defaults: tunable numbers and catalogues that are not secrets and rarely differ per deployment.
 * Amounts are integer rupiah.
 */
export const defaults = {
  pagination: { defaultLimit: 50, maxLimit: 500 },
  password: { minLength: 10, maxLength: 200 },
  /** Seller settings applied at signup. */
  sellerSettings: {
    scoringPreset: 'balanced' as const,
    /** Rupiah a seller loses on a failed COD parcel beyond the fees (goods, packing, opportunity). */
    lostMarginPerFailure: 15000,
  },
  /** Banks sellers can withdraw to (codes as used by Indonesian transfer networks). */
  bankCodes: [
    'BCA', 'BNI', 'BRI', 'MANDIRI', 'BSI', 'BTN', 'CIMB', 'PERMATA', 'DANAMON', 'OCBC', 'MAYBANK', 'PANIN',
    'MEGA', 'BJB', 'BTPN', 'JAGO', 'SEABANK', 'BLU', 'SINARMAS', 'BUKOPIN',
  ] as const,
  apiKeys: { lastUsedWriteIntervalSeconds: 60 },
};

export type BusinessDefaults = typeof defaults;
