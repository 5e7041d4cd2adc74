# nomad volume create deploy/nomad/volume.hcl
id        = "pgdata"
name      = "pgdata"
type      = "csi"
plugin_id = "loam"

capacity_min = "1GiB"
capacity_max = "2GiB"

capability {
  access_mode     = "single-node-writer"
  attachment_mode = "file-system"
}

mount_options {
  fs_type     = "ext4"
  mount_flags = ["noatime"]
}

parameters {
  pool         = "default"
  provisioning = "thin"
}
