// One launcher for the tests and the benchmark's viewer loads.
export { launchChromium } from '../../bench/viewer/chromium';
