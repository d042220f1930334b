export { describeValue, fail, failText } from './describe.js';
