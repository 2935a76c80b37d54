/** Whole øre for a whole number of kroner, in test expectations. */
export const dkk = (kroner: number) => kroner * 100;
export const day = 86_400_000;
/** The ISO date (YYYY-MM-DD) of a time in milliseconds. */
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
