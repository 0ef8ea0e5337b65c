-- pacsgate: the DICOM operations Orthanc accepts, for the audit log (scripts/stack/dicom-audit-lines.ts).
-- Orthanc 1.10 logs "Lua says: <line>"; the stack reads the AE title and the caller's
-- (loopback) address from it. Nothing of the data itself is printed. Loaded through
-- "LuaScripts" in the modalities file (setup/dicom/render.ts).

function ReceivedInstanceFilter(dicom, origin, info)
  if origin['RequestOrigin'] == 'DicomProtocol' then
    print('pacsgate-dicom-operation Store ' .. origin['RemoteAet'] .. ' ' .. origin['RemoteIp'])
  end
  return true
end

function IncomingFindRequestFilter(query, origin)
  print('pacsgate-dicom-operation Find ' .. origin['RemoteAet'] .. ' ' .. origin['RemoteIp'])
  return query
end
