export {
  createLogger,
  currentLogging,
  formatLine,
  initLogging,
  rotate,
  type LoggingHandle,
  type LoggingOptions,
  type LogLevel,
  type LogRuntime,
} from './logger';
export { defaultLogsDir } from './logPaths';
export { describeEffectiveConfig, logEffectiveConfig } from './effectiveConfig';
