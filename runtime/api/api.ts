/**
 * The JS-API-shaped entry points (api-core.ts) with native-debug mode wired
 * in: what the main entry point and the debugging levels export.
 */
import './instance.js';

export * from './api-core.js';
