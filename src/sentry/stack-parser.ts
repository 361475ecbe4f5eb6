import { createStackParser } from '@sentry/core';
import { nodeStackLineParser } from '@sentry/core/server';

/**
 * Sentry's node stack parser, built from @sentry/core alone: importing @sentry/node for it would load every Node
 * integration (a quarter of a second at start-up). Frames carry no `module` name, which is less to send anyway.
 */
export const stackParser = createStackParser(nodeStackLineParser());
