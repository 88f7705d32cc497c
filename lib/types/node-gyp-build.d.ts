declare module 'node-gyp-build' {
  /** Loads the addon for `dir`: build/Release first, then prebuilds/<platform>-<arch>. */
  function load(dir: string): unknown;
  export = load;
}
