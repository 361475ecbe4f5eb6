/** The consentry version, reported as a tag. Kept in step with package.json by a test. */
export const CONSENTRY_VERSION = '0.1.0';
