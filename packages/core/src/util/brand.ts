declare const brand: unique symbol;
/** A nominal type: `Brand<string, 'PartnerId'>` is a string that only ids of partners are. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Recursively readonly: events and views are values, never edited in place. */
export type DeepReadonly<T> = T extends string | number | boolean | bigint | symbol | null | undefined
  ? T
  : T extends (...args: never[]) => unknown
    ? T
    : T extends readonly (infer U)[]
      ? readonly DeepReadonly<U>[]
      : T extends object
        ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
        : T;
