import { fetchOhif } from '../setup/viewer/fetch-ohif';

// Run by `npm install` (the prepare script): the pinned OHIF build, ready for setup to copy.
fetchOhif();
