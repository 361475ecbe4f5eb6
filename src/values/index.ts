/** Small checks on values of unknown shape, shared by every folder (imports nothing). */
export { isPlainObject } from './is-plain-object.js';
export { isPromiseLike } from './is-promise-like.js';
