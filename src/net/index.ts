export type { PostAnswered, PostFailed, PostKind, PostOutcome } from './outcome.js';
export { createPoster, type Poster, type PosterOptions, type PostRequest } from './poster.js';
